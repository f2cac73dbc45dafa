exception {
  1: string message
}

exception Good { 1: string message }
exception xsd_all Bad {}
