// The model's initializers draw from the project's one generator, defined in `Random`;
// re-exported so `import Model` is enough to seed a network or a test.
@_exported import struct Random.SplitMix64
