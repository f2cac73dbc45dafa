// Empty things.
namespace rs empty

struct Nothing {}
exception Nobody {}
enum Never {}
union NoneOf {}
service Idle {}
