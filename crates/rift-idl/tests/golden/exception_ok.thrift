exception NotFound {
  1: string message
  2: i32 code = 404
} (code = "404")

exception Empty {}
