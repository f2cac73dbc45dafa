const i64 HEX = 0xFF
const i64 NEG_HEX = -0x10
const i64 POS = +5
const double EXP = 1e10
const double NEG_EXP = -2.5E-3
const double FRACTION = .5
const i32 TRUE_IS_ONE = true
const i32 FALSE_IS_ZERO = false
