// The roles module has no params: which roles exist is code (include/btt/modules/roles/roles.h),
// who holds them is state, changed by role_admin holders.
