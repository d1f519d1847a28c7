#!/usr/bin/env python3
"""Canonical dump of pipeline configs as google.protobuf.text_format.Merge reads them.

Makes the `.expected` files next to this script that ConfigTests/SyntaxVariantTests.swift
compares the Swift parser against. Not used by the tests themselves.

  protoc-c --descriptor_set_out=od.pb --include_imports -I <dir with object_detection/protos> \
      object_detection/protos/pipeline.proto
  pip install protobuf
  python3 reference_dump.py od.pb variants.config > variants.expected

One line per set field, fields in field-number order, depth-first:
  <path>: {                  a set message field (path has [i] for repeated elements)
  <path>: <value>            scalars: ints in decimal, floats as '%.9g' of the stored float32
                             (doubles '%.17g'), bools true/false, enums by name, strings as
                             hex of their UTF-8 bytes.
"""
import sys
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, text_format
from google.protobuf.descriptor import FieldDescriptor as FD


def dump(msg, prefix, out):
    for field, value in msg.ListFields():
        path = prefix + ("." if prefix else "") + field.name
        items = list(value) if field.is_repeated else [value]
        for i, v in enumerate(items):
            p = "%s[%d]" % (path, i) if field.is_repeated else path
            if field.type == FD.TYPE_MESSAGE:
                out.append("%s: {" % p)
                dump(v, p, out)
            elif field.type == FD.TYPE_FLOAT:
                out.append("%s: %s" % (p, "%.9g" % v))
            elif field.type == FD.TYPE_DOUBLE:
                out.append("%s: %s" % (p, "%.17g" % v))
            elif field.type == FD.TYPE_BOOL:
                out.append("%s: %s" % (p, "true" if v else "false"))
            elif field.type == FD.TYPE_ENUM:
                out.append("%s: %s" % (p, field.enum_type.values_by_number[v].name))
            elif field.type == FD.TYPE_STRING:
                out.append("%s: %s" % (p, v.encode("utf-8").hex()))
            else:
                out.append("%s: %d" % (p, v))


def main():
    fds = descriptor_pb2.FileDescriptorSet()
    fds.ParseFromString(open(sys.argv[1], "rb").read())
    pool = descriptor_pool.DescriptorPool()
    for f in fds.file:
        pool.Add(f)
    cls = message_factory.GetMessageClass(
        pool.FindMessageTypeByName("object_detection.protos.TrainEvalPipelineConfig"))
    for path in sys.argv[2:]:
        msg = cls()
        text_format.Merge(open(path).read(), msg)
        out = []
        dump(msg, "", out)
        print("\n".join(out))


main()
