// BuiltinRules: placeholder until its first file lands.
