#pragma once
// The bank has no keys of its own: balances, assets and supply are the ledger's ("bal/", "ast/",
// "sup/"; include/btt/ledger/ledger.h), read through BankView and written through BankKeeper.
