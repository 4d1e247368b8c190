//! The backend contract (`jsbench_api::contract`) on the real QuickJS-ng.

use jsbench_api::contract::Contract;

jsbench_api::contract_tests!(Some(Contract::new(|| Box::new(jsbench_quickjs::QuickJsBackend::new()))));
