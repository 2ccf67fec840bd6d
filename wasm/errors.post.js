// --post-js: turns the error stashed by a guarded C++ entry point into a real JS Error, thrown
// after the wasm call has returned (so no exception ever unwinds through wasm frames; see
// bindings.cc). Runs inside the factory at postRun, after embind registered the classes and
// before the factory's promise resolves.
addOnPostRun(function () {
  var takeError = Module['__takeError'];
  var builtins = { constructor: 1, prototype: 1, length: 1, name: 1, argCount: 1, arguments: 1, caller: 1 };
  var ctors = { TypeError: TypeError, RangeError: RangeError };
  function wrap(owner, key) {
    var raw = owner[key];
    if (typeof raw != 'function' || builtins[key]) return;
    owner[key] = function () {
      var result = raw.apply(this, arguments);
      var e = takeError();
      if (e === null) return result;
      if (result && typeof result['delete'] == 'function') result['delete']();
      var Ctor = ctors[e['name']] || Error;
      throw new Ctor(e['message']);
    };
  }
  var Ledger = Module['Ledger'];
  Object.getOwnPropertyNames(Ledger.prototype).forEach(function (k) { wrap(Ledger.prototype, k); });
  Object.getOwnPropertyNames(Ledger).forEach(function (k) { wrap(Ledger, k); });
  ['errorCodes', '__guardProbe'].forEach(function (k) { wrap(Module, k); });
});
