struct list { 1: i32 x }
enum E { struct }
service S { void map() }
struct F { 1: i32 cpp_type }
struct G { 1: i32 xsd_all }
