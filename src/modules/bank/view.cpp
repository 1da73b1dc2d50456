// BankView is header-only: every read is the ledger's (include/btt/modules/bank/view.h).
#include "btt/modules/bank/view.h"
