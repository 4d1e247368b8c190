//! The backend contract (`jsbench_api::contract`) on `quickjs-bytecode`:
//! the same engine, each module loaded from bytecode compiled at prepare
//! time (cached in the jsbench cache folder).

use jsbench_api::contract::Contract;

jsbench_api::contract_tests!(Some(Contract::new(|| Box::new(
    jsbench_quickjs::QuickJsBackend::bytecode()
))));
