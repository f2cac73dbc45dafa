service Broken {
  void ok1()
  void (1: i32 x)
  void ok2()
  i32 missing_paren(1: i32 x
  void ok3()
  void struct()
}
