struct Broken {
  1: Missing field,
  1: i32 duplicate,
}
