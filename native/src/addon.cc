// The N-API front end of the capture core (node-addon-api, N-API only: one build loads in Node and in
// Electron without rebuilding). Used by the main process for the interface list and filter checks,
// and for in-process capture where the process is already privileged (tests run as root); the app's
// own captures go through the helper executable instead (helper.cc).
//
// JS surface (typed in native/index.ts):
//   interfaces() -> [{name, description, addresses: [{family, addr, netmask, broadaddr}],
//                     loopback, up, running, wireless, connectionStatus}]
//   checkFilter(linkType, snaplen, text) -> null | libpcap's error message
//   open({device, snaplen, promisc, bufferSize, immediate, nanosecond, filter}, onBatch) -> handle
//     onBatch(err, batch: ArrayBuffer, count) on the JS thread, one call per batch of records in the
//     layout of capture-core.h; err is set (and the capture over) when reading fails.
//   handle.linkType, .snaplen, .nanosecond, .device; handle.setFilter(text); handle.stats() ->
//     {received, dropped, ifDropped}; handle.close() (idempotent; other calls then throw
//     ERR_CAPTURE_CLOSED). Batches read before close() are still delivered after it.
// Every failure is a thrown Error with .code, libpcap's text as .message, and .hint.
#include <napi.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "capture-core.h"

#ifndef _WIN32
#include <fcntl.h>
#include <unistd.h>
#endif

namespace {

using netlab::CoreError;

Napi::Value throwError(Napi::Env env, const std::string& code, const std::string& message) {
  Napi::Error e = Napi::Error::New(env, message);
  e.Set("code", Napi::String::New(env, code));
  e.Set("hint", Napi::String::New(env, netlab::hintFor(code)));
  e.ThrowAsJavaScriptException();
  return env.Undefined();
}

struct Item {
  std::vector<uint8_t> bytes;
  uint32_t count = 0;
  bool isError = false;
  CoreError err;
};

struct CallContext;  // unused: the handle's state lives in the reader, not in the tsfn context
void callJs(Napi::Env env, Napi::Function fn, CallContext*, Item* item);
using Tsfn = Napi::TypedThreadSafeFunction<CallContext, Item, callJs>;

// How many batches may wait for the JS thread before the reader stops reading: past this, the kernel
// ring absorbs the burst and counts its drops (reported by stats()), instead of our heap growing.
constexpr int kMaxInflight = 64;

struct Reader {
  std::unique_ptr<netlab::Capture> cap;
  Tsfn tsfn;
  std::thread thread;
  std::atomic<bool> stop{false};
  std::atomic<int> inflight{0};
  std::mutex mu;
  std::condition_variable cv;
  int wake[2] = {-1, -1};

  void run() {
    std::vector<uint8_t> buf;
    while (!stop.load()) {
      int w = cap->wait(wake[0], 250);
      if (w < 0 || w == 2 || stop.load()) break;
      {
        std::unique_lock<std::mutex> lock(mu);
        cv.wait(lock, [&] { return stop.load() || inflight.load() < kMaxInflight; });
      }
      if (stop.load()) break;
      buf.clear();
      uint32_t n = 0;
      CoreError err;
      for (;;) {
        int got = cap->readBatch(buf, 1024, err);
        if (got < 0) break;
        n += static_cast<uint32_t>(got);
        if (got == 0 || buf.size() > (1u << 20)) break;
      }
      if (!err.ok()) {
        auto* item = new Item();
        item->isError = true;
        item->err = err;
        if (tsfn.NonBlockingCall(item) != napi_ok) delete item;
        return;
      }
      if (n == 0) continue;
      auto* item = new Item();
      item->bytes.swap(buf);
      item->count = n;
      inflight++;
      if (tsfn.NonBlockingCall(item) != napi_ok) {
        inflight--;
        delete item;
      }
    }
  }

  void deliver() {
    inflight--;
    cv.notify_one();
  }
};

void callJs(Napi::Env env, Napi::Function fn, CallContext* ctx, Item* item) {
  (void)ctx;
  std::unique_ptr<Item> owned(item);
  if (env == nullptr || item == nullptr) return;  // the environment is going away: just free
  if (item->isError) {
    Napi::Error e = Napi::Error::New(env, item->err.message);
    e.Set("code", Napi::String::New(env, item->err.code));
    e.Set("hint", Napi::String::New(env, netlab::hintFor(item->err.code)));
    fn.Call({e.Value()});
    return;
  }
  // A copy, not an external buffer: Electron's V8 sandbox forbids ArrayBuffers over foreign memory.
  Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(env, item->bytes.size());
  if (!item->bytes.empty()) std::memcpy(ab.Data(), item->bytes.data(), item->bytes.size());
  fn.Call({env.Null(), ab, Napi::Number::New(env, item->count)});
}

class Handle : public Napi::ObjectWrap<Handle> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "CaptureHandle",
                       {InstanceMethod("setFilter", &Handle::SetFilter), InstanceMethod("stats", &Handle::Stats),
                        InstanceMethod("close", &Handle::Close),
                        InstanceAccessor("linkType", &Handle::LinkType, nullptr),
                        InstanceAccessor("snaplen", &Handle::Snaplen, nullptr),
                        InstanceAccessor("nanosecond", &Handle::Nanosecond, nullptr),
                        InstanceAccessor("device", &Handle::Device, nullptr),
                        InstanceAccessor("closed", &Handle::Closed, nullptr)});
  }

  explicit Handle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Handle>(info) {}
  ~Handle() override { shutdown(); }

  // Called by open() right after construction, with the opened capture.
  bool start(Napi::Env env, std::unique_ptr<netlab::Capture> cap, Napi::Function onBatch) {
    linkType_ = cap->linkType();
    snaplen_ = cap->snaplen();
    nanosecond_ = cap->nanosecond();
    device_ = cap->device();
    reader_ = std::make_shared<Reader>();
    reader_->cap = std::move(cap);
#ifndef _WIN32
    if (pipe(reader_->wake) != 0) {
      throwError(env, "ERR_CAPTURE_OPEN", "could not create the reader's wake-up pipe");
      reader_.reset();
      return false;
    }
    fcntl(reader_->wake[1], F_SETFL, O_NONBLOCK);
#endif
    reader_->tsfn = Tsfn::New(env, onBatch, "netlab-capture-reader", 0, 1);
    std::shared_ptr<Reader> r = reader_;
    r->thread = std::thread([r] { r->run(); });
    return true;
  }

  void batchDelivered() {
    if (reader_) reader_->deliver();
  }

 private:
  bool checkOpen(Napi::Env env) {
    if (reader_ == nullptr) {
      throwError(env, "ERR_CAPTURE_CLOSED", "the capture handle is closed");
      return false;
    }
    return true;
  }

  void shutdown() {
    if (!reader_) return;
    std::shared_ptr<Reader> r = std::move(reader_);
    r->stop = true;
    r->cv.notify_all();
#ifndef _WIN32
    if (r->wake[1] >= 0) {
      char b = 1;
      (void)!write(r->wake[1], &b, 1);
    }
#endif
    if (r->thread.joinable()) r->thread.join();
    r->cap->close();
    r->tsfn.Release();  // batches already queued are still delivered, then the loop is let go
#ifndef _WIN32
    ::close(r->wake[0]);
    ::close(r->wake[1]);
#endif
  }

  Napi::Value SetFilter(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!checkOpen(env)) return env.Undefined();
    if (info.Length() < 1 || !info[0].IsString()) return throwError(env, "ERR_CAPTURE_ARGS", "setFilter(text): text must be a string");
    CoreError err;
    if (!reader_->cap->setFilter(info[0].As<Napi::String>().Utf8Value(), err)) return throwError(env, err.code, err.message);
    return env.Undefined();
  }

  Napi::Value Stats(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!checkOpen(env)) return env.Undefined();
    netlab::Stats s;
    CoreError err;
    if (!reader_->cap->stats(s, err)) return throwError(env, err.code, err.message);
    Napi::Object o = Napi::Object::New(env);
    o.Set("received", Napi::Number::New(env, static_cast<double>(s.received)));
    o.Set("dropped", Napi::Number::New(env, static_cast<double>(s.dropped)));
    o.Set("ifDropped", Napi::Number::New(env, static_cast<double>(s.ifDropped)));
    return o;
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    shutdown();
    return info.Env().Undefined();
  }

  Napi::Value LinkType(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), linkType_); }
  Napi::Value Snaplen(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), snaplen_); }
  Napi::Value Nanosecond(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), nanosecond_); }
  Napi::Value Device(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), device_); }
  Napi::Value Closed(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), reader_ == nullptr); }

  std::shared_ptr<Reader> reader_;
  int linkType_ = 0, snaplen_ = 0;
  bool nanosecond_ = false;
  std::string device_;
};

struct AddonData {
  Napi::FunctionReference handleCtor;
};

Napi::Value Interfaces(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CoreError err;
  auto list = netlab::listInterfaces(err);
  if (!err.ok()) return throwError(env, err.code, err.message);
  Napi::Array arr = Napi::Array::New(env, list.size());
  for (size_t i = 0; i < list.size(); i++) {
    const auto& d = list[i];
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", d.name);
    o.Set("description", d.description);
    Napi::Array addrs = Napi::Array::New(env, d.addresses.size());
    for (size_t j = 0; j < d.addresses.size(); j++) {
      Napi::Object a = Napi::Object::New(env);
      a.Set("family", d.addresses[j].family);
      a.Set("addr", d.addresses[j].addr);
      a.Set("netmask", d.addresses[j].netmask);
      a.Set("broadaddr", d.addresses[j].broadaddr);
      addrs.Set(static_cast<uint32_t>(j), a);
    }
    o.Set("addresses", addrs);
    o.Set("loopback", d.loopback);
    o.Set("up", d.up);
    o.Set("running", d.running);
    o.Set("wireless", d.wireless);
    o.Set("connectionStatus", d.connectionStatus);
    arr.Set(static_cast<uint32_t>(i), o);
  }
  return arr;
}

Napi::Value CheckFilter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsNumber() || !info[1].IsNumber() || !info[2].IsString()) {
    return throwError(env, "ERR_CAPTURE_ARGS", "checkFilter(linkType, snaplen, text): expected two numbers and a string");
  }
  CoreError err;
  if (netlab::checkFilter(info[0].As<Napi::Number>().Int32Value(), info[1].As<Napi::Number>().Int32Value(),
                          info[2].As<Napi::String>().Utf8Value(), err)) {
    return env.Null();
  }
  return Napi::String::New(env, err.message);
}

Napi::Value Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsFunction()) {
    return throwError(env, "ERR_CAPTURE_ARGS", "open(options, onBatch): expected an options object and a function");
  }
  Napi::Object o = info[0].As<Napi::Object>();
  netlab::OpenOptions opt;
  Napi::Value dev = o.Get("device");
  if (!dev.IsString() || dev.As<Napi::String>().Utf8Value().empty()) {
    return throwError(env, "ERR_CAPTURE_ARGS", "open: options.device must be an interface name");
  }
  opt.device = dev.As<Napi::String>().Utf8Value();
  auto num = [&](const char* k, int& out) {
    Napi::Value v = o.Get(k);
    if (v.IsNumber()) out = v.As<Napi::Number>().Int32Value();
  };
  auto flag = [&](const char* k, bool& out) {
    Napi::Value v = o.Get(k);
    if (v.IsBoolean()) out = v.As<Napi::Boolean>().Value();
  };
  num("snaplen", opt.snaplen);
  num("bufferSize", opt.bufferSize);
  num("timeoutMs", opt.timeoutMs);
  flag("promisc", opt.promisc);
  flag("immediate", opt.immediate);
  flag("nanosecond", opt.nanosecond);
  Napi::Value f = o.Get("filter");
  if (f.IsString()) opt.filter = f.As<Napi::String>().Utf8Value();
  if (opt.snaplen <= 0 || opt.snaplen > 262144) opt.snaplen = 262144;

  CoreError err;
  std::unique_ptr<netlab::Capture> cap(netlab::Capture::open(opt, err));
  if (!cap) return throwError(env, err.code, err.message);
  AddonData* data = env.GetInstanceData<AddonData>();
  Napi::Object obj = data->handleCtor.New({});
  Handle* h = Handle::Unwrap(obj);
  // The batch callback is wrapped so each delivery lets the reader read on (backpressure).
  Napi::Function user = info[1].As<Napi::Function>();
  Napi::FunctionReference userRef = Napi::Persistent(user);
  auto shared = std::make_shared<Napi::FunctionReference>(std::move(userRef));
  Napi::ObjectReference selfRef = Napi::Weak(obj);
  auto self = std::make_shared<Napi::ObjectReference>(std::move(selfRef));
  Napi::Function wrapped = Napi::Function::New(env, [shared, self](const Napi::CallbackInfo& ci) -> Napi::Value {
    Napi::Env e = ci.Env();
    if (!self->IsEmpty()) {
      Napi::Value v = self->Value();
      if (v.IsObject()) {
        Handle* hh = Handle::Unwrap(v.As<Napi::Object>());
        if (hh != nullptr && ci.Length() >= 2) hh->batchDelivered();
      }
    }
    std::vector<napi_value> args;
    for (size_t i = 0; i < ci.Length(); i++) args.push_back(ci[i]);
    return shared->Value().Call(e.Undefined(), args);
  });
  if (!h->start(env, std::move(cap), wrapped)) return env.Undefined();
  return obj;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData();
  data->handleCtor = Napi::Persistent(Handle::Define(env));
  env.SetInstanceData(data);
  exports.Set("interfaces", Napi::Function::New(env, Interfaces));
  exports.Set("checkFilter", Napi::Function::New(env, CheckFilter));
  exports.Set("open", Napi::Function::New(env, Open));
  exports.Set("libVersion", Napi::String::New(env, pcap_lib_version()));
  return exports;
}

}  // namespace

NODE_API_MODULE(netlab_capture, Init)
