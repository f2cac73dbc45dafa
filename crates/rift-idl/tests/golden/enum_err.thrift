enum Dup { A, B, A }
enum Range { BIG = 4294967296 }
enum Overflow { MAX = 2147483647, OVER }
enum Missing { A = }
