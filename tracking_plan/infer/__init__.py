"""`infer`: a draft plan from the events a product already sends, or what that traffic adds to a plan."""
