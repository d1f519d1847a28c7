import Testing
@testable import Config

/// `PathParts` (no trap on a one-character name, unlike NSString's deletingLastPathComponent).
struct PathPartsTests {
  @Test func parentAndLast() {
    let cases: [(String, String, String)] = [
      ("m", "", "m"), ("m/", "", "m"), ("a/b", "a", "b"), ("a/b/", "a", "b"), ("/x", "/", "x"),
      ("/", "/", "/"), ("a//b", "a", "b"), ("/a/b/c", "/a/b", "c"), ("", "", ""),
    ]
    for (path, parent, last) in cases {
      #expect(PathParts.parent(path) == parent, "parent of '\(path)'")
      #expect(PathParts.last(path) == last, "last of '\(path)'")
    }
  }
}
