//! The module loader: serves the workload module under its specifier and
//! refuses every import (workloads are single self-contained modules).

use deno_core::error::ModuleLoaderError;
use deno_core::{
    ModuleLoadOptions, ModuleLoadReferrer, ModuleLoadResponse, ModuleLoader, ModuleResolveResponse, ModuleSource,
    ModuleSourceCode, ModuleSpecifier, ModuleType, ResolutionKind,
};
use std::cell::RefCell;

/// Holds the module being loaded; `load` hands it to deno_core.
#[derive(Default)]
pub(crate) struct WorkloadLoader {
    module: RefCell<Option<(ModuleSpecifier, String)>>,
}

impl WorkloadLoader {
    /// Makes `source` the module served under `specifier`.
    pub(crate) fn serve(&self, specifier: ModuleSpecifier, source: String) {
        *self.module.borrow_mut() = Some((specifier, source));
    }
}

/// The message of a refused import.
pub(crate) fn import_refused(specifier: &str) -> String {
    format!("imports are not supported: workload modules must be self-contained (import of '{specifier}')")
}

impl ModuleLoader for WorkloadLoader {
    /// Only the served module resolves (as the main module, or a side
    /// module of a later load); any other specifier is a refused import.
    fn resolve(&self, specifier: &str, _referrer: &str, _kind: ResolutionKind) -> ModuleResolveResponse {
        let served = self.module.borrow();
        match served.as_ref() {
            Some((served, _)) if served.as_str() == specifier => Ok(served.clone()),
            _ => Err(ModuleLoaderError::generic(import_refused(specifier))),
        }
    }

    fn load(
        &self,
        specifier: &ModuleSpecifier,
        _referrer: Option<&ModuleLoadReferrer>,
        _options: ModuleLoadOptions,
    ) -> ModuleLoadResponse {
        let served = self.module.borrow();
        let result: Result<ModuleSource, ModuleLoaderError> = match served.as_ref() {
            Some((served, source)) if served == specifier => Ok(ModuleSource::new(
                ModuleType::JavaScript,
                ModuleSourceCode::String(source.clone().into()),
                specifier,
                None,
            )),
            _ => Err(ModuleLoaderError::generic(import_refused(specifier.as_str()))),
        };
        ModuleLoadResponse::Sync(result)
    }
}
