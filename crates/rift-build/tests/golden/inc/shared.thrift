namespace rs shared.common

typedef i64 Timestamp

struct Header {
  1: Timestamp sent,
  2: string origin,
}

service SharedService {
  Header header(),
}
