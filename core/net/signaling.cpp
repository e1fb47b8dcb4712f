// Home of Signaling's moc output (the interface has no code of its own).
#include "net/signaling.h"
