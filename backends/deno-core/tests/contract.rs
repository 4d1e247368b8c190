//! The backend contract (`jsbench_api::contract`) on deno_core.

use jsbench_api::contract::Contract;

jsbench_api::contract_tests!(Some(Contract::new(|| Box::new(
    jsbench_deno_core::DenoCoreBackend::new()
))));
