union TwoDefaults {
  1: i32 a = 1
  2: i32 b = 2
}

union RequiredMember {
  1: required i32 a
}
