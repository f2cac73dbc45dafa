const string BAD_ESCAPE = "a\qb"
const string UNTERMINATED = "no end
const string AFTER = "fine"
