// Table-building helpers: `opt("batch_size", 1, .uint32, 32)`, `rep("input_path", 1, .string)`,
// `one("ssd", 2, .message("Ssd"), oneof: "model")`.
func opt(_ name: String, _ number: Int, _ type: ProtoFieldType, _ def: ProtoDefault? = nil,
         deprecated: Bool = false) -> ProtoFieldSchema
{
  ProtoFieldSchema(name: name, number: number, isRepeated: false, type: type, default: def, oneof: nil,
                   isDeprecated: deprecated)
}

func rep(_ name: String, _ number: Int, _ type: ProtoFieldType) -> ProtoFieldSchema {
  ProtoFieldSchema(name: name, number: number, isRepeated: true, type: type, default: nil, oneof: nil,
                   isDeprecated: false)
}

func one(_ name: String, _ number: Int, _ type: ProtoFieldType, oneof: String) -> ProtoFieldSchema {
  ProtoFieldSchema(name: name, number: number, isRepeated: false, type: type, default: nil, oneof: oneof,
                   isDeprecated: false)
}

func msg(_ name: String) -> ProtoFieldType { .message(name) }
func enm(_ name: String) -> ProtoFieldType { .enumeration(name) }
