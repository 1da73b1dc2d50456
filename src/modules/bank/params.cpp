// The bank has no params of its own: its limits (max_outputs per MultiTransfer, the fee) are the
// ledger's LedgerParams, changed through chain::set_params(registry, ..., "ledger", ...).
