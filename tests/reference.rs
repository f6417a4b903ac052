use rustystats as _; #[test] fn t(){}
