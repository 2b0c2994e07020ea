/* @seqloom/native's N-API module: registers the exported functions. The
 * functions of the kernel contract come from contract.h (generated from
 * @seqloom/core's ADDON_FUNCTIONS, prototypes included); a function outside
 * the contract adds its own row below (the fused decoder step's decodeStep*
 * functions are contract rows: registering them here too would define them twice). */
#include "contract.h"

#define SEQLOOM_PROPERTY(js, c) {js, NULL, c, NULL, NULL, NULL, napi_default, NULL},

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor functions[] = {
    SEQLOOM_ADDON_FUNCTIONS(SEQLOOM_PROPERTY)
  };
  napi_define_properties(env, exports, sizeof functions / sizeof functions[0], functions);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
