const i32 = 5
const i32 X 5
const list<i32> Y = [1, 2
const i32 Z = 1
