include "inc/shared.thrift"

// No namespace rs: the module is named after the file.

typedef shared.Header Envelope

struct Message {
  1: Envelope envelope,
  2: shared.Timestamp received,
}

service Relay extends shared.SharedService {
  void relay(1: Message message),
}
