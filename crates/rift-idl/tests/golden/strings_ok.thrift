const string ESCAPES = "tab\t newline\n return\r quote\" apostrophe\' backslash\\"
const string SINGLE = 'double " inside single'
const string DOUBLE = "single ' inside double"
const string UNICODE = "héllo wörld ✓"
const string EMPTY = ""
