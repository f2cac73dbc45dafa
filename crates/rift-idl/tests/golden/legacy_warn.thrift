struct S {
  1: byte small
}
service Svc {
  async void old()
}
