const Later L = {"x": 1}

struct Later { 1: i32 x }
