// Thin AF_UNIX datagram socket bindings for Node.js, which has no datagram Unix sockets.
//
// Only system calls live here: socket, connect, bind, sendmmsg, recvmmsg, poll, setsockopt,
// shutdown, close.
// Policy (batching, retries, backoff, reconnects, logging) belongs to the TypeScript caller.
// Every failure becomes a JavaScript Error whose `code` is the errno name, e.g. ECONNREFUSED.
//
// Sending sockets are blocking, but the main thread never waits on them: sendBatch passes
// MSG_DONTWAIT, and sendBatchAsync blocks a libuv thread-pool thread instead, for at most the
// socket's send timeout per datagram. Letting the kernel wake the sender the moment analysisd
// drains its 10-datagram queue is what makes a blocking send fast; polling from JS is not.

#include <napi.h>

#include <cerrno>
#include <cstdint>
#include <algorithm>
#include <cstring>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>
#include <vector>

namespace {

// sendmmsg/recvmmsg accept at most UIO_MAXIOV (1024) messages per call on Linux.
constexpr size_t kMaxMessagesPerCall = 1024;

const char* ErrnoName(int err) {
  switch (err) {
    case EACCES: return "EACCES";
    case EADDRINUSE: return "EADDRINUSE";
    case EAGAIN: return "EAGAIN";
    case EBADF: return "EBADF";
    case ECONNREFUSED: return "ECONNREFUSED";
    case ECONNRESET: return "ECONNRESET";
    case EDESTADDRREQ: return "EDESTADDRREQ";
    case EINTR: return "EINTR";
    case EINVAL: return "EINVAL";
    case EISCONN: return "EISCONN";
    case ELOOP: return "ELOOP";
    case EMFILE: return "EMFILE";
    case EMSGSIZE: return "EMSGSIZE";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOBUFS: return "ENOBUFS";
    case ENOENT: return "ENOENT";
    case ENOMEM: return "ENOMEM";
    case ENOTCONN: return "ENOTCONN";
    case ENOTDIR: return "ENOTDIR";
    case ENOTSOCK: return "ENOTSOCK";
    case EPERM: return "EPERM";
    case EPIPE: return "EPIPE";
    case EPROTOTYPE: return "EPROTOTYPE";
    default: return "EUNKNOWN";
  }
}

// A JavaScript Error shaped like Node's own system errors: code, errno, syscall.
Napi::Error ErrnoError(Napi::Env env, int err, const char* syscall, const std::string& path = "") {
  std::string message = std::string(syscall) + " " + ErrnoName(err) + ": " + std::strerror(err);
  if (!path.empty()) message += " (" + path + ")";

  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, ErrnoName(err)));
  error.Set("errno", Napi::Number::New(env, err));
  error.Set("syscall", Napi::String::New(env, syscall));
  if (!path.empty()) error.Set("path", Napi::String::New(env, path));
  return error;
}

void ThrowErrno(Napi::Env env, int err, const char* syscall, const std::string& path = "") {
  ErrnoError(env, err, syscall, path).ThrowAsJavaScriptException();
}

bool ThrowTypeError(Napi::Env env, const char* message) {
  Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
  return false;
}

bool FillAddress(Napi::Env env, const std::string& path, sockaddr_un* address) {
  std::memset(address, 0, sizeof(*address));
  address->sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(address->sun_path)) {
    ThrowErrno(env, ENAMETOOLONG, "connect", path);
    return false;
  }
  std::memcpy(address->sun_path, path.data(), path.size());
  return true;
}

bool IsFd(const Napi::Value& value) { return value.IsNumber(); }

int NewDatagramSocket(Napi::Env env, int flags) {
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | flags, 0);
  if (fd < 0) ThrowErrno(env, errno, "socket");
  return fd;
}

// open(): a new unconnected AF_UNIX datagram socket for sending (blocking; see the top).
Napi::Value JS_Open(const Napi::CallbackInfo& info) {
  int fd = NewDatagramSocket(info.Env(), 0);
  if (fd < 0) return info.Env().Undefined();
  return Napi::Number::New(info.Env(), fd);
}

// connect(fd, path): fixes the destination of every later send.
Napi::Value JS_Connect(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!IsFd(info[0]) || !info[1].IsString()) {
    ThrowTypeError(env, "connect(fd, path) takes a number and a string");
    return env.Undefined();
  }

  int fd = info[0].As<Napi::Number>().Int32Value();
  std::string path = info[1].As<Napi::String>().Utf8Value();
  sockaddr_un address;
  if (!FillAddress(env, path, &address)) return env.Undefined();

  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ThrowErrno(env, errno, "connect", path);
  }
  return env.Undefined();
}

// bind(path): a new non-blocking datagram socket bound to path, for receivers (tests, demo).
Napi::Value JS_Bind(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) {
    ThrowTypeError(env, "bind(path) takes a string");
    return env.Undefined();
  }

  std::string path = info[0].As<Napi::String>().Utf8Value();
  sockaddr_un address;
  if (!FillAddress(env, path, &address)) return env.Undefined();

  int fd = NewDatagramSocket(env, SOCK_NONBLOCK);
  if (fd < 0) return env.Undefined();
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    int err = errno;
    close(fd);
    ThrowErrno(env, err, "bind", path);
    return env.Undefined();
  }
  return Napi::Number::New(env, fd);
}

// The datagrams first .. end-1 of a sendBatch call, datagram i being data[offsets[i] ..
// offsets[i+1]), as the iovec/mmsghdr arrays sendmmsg takes.
struct Batch {
  int fd = -1;
  std::vector<iovec> vectors;
  std::vector<mmsghdr> headers;
};

// Checks sendBatch's arguments (fd, buffer, Uint32Array, first, end) and fills batch.
bool ReadBatch(const Napi::CallbackInfo& info, size_t maxCount, Batch* batch) {
  Napi::Env env = info.Env();
  if (!IsFd(info[0]) || !info[1].IsBuffer() || !info[2].IsTypedArray() || !info[3].IsNumber() ||
      !info[4].IsNumber()) {
    return ThrowTypeError(env, "sendBatch(fd, buffer, Uint32Array, first, end)");
  }

  Napi::Buffer<uint8_t> data = info[1].As<Napi::Buffer<uint8_t>>();
  Napi::Uint32Array offsets = info[2].As<Napi::Uint32Array>();
  uint32_t first = info[3].As<Napi::Number>().Uint32Value();
  uint32_t end = info[4].As<Napi::Number>().Uint32Value();
  if (first > end || end >= offsets.ElementLength() || offsets[end] > data.Length() ||
      offsets[first] > offsets[end]) {
    Napi::RangeError::New(env, "sendBatch: datagram range outside the buffer")
        .ThrowAsJavaScriptException();
    return false;
  }

  size_t count = std::min<size_t>(end - first, maxCount);
  batch->fd = info[0].As<Napi::Number>().Int32Value();
  batch->vectors.resize(count);
  batch->headers.resize(count);
  for (size_t i = 0; i < count; i++) {
    uint32_t start = offsets[first + i];
    batch->vectors[i].iov_base = data.Data() + start;
    batch->vectors[i].iov_len = offsets[first + i + 1] - start;
    std::memset(&batch->headers[i], 0, sizeof(mmsghdr));
    batch->headers[i].msg_hdr.msg_iov = &batch->vectors[i];
    batch->headers[i].msg_hdr.msg_iovlen = 1;
  }
  return true;
}

// One sendmmsg call for the datagrams from first on (at most kMaxMessagesPerCall of them);
// returns how many the kernel took, or -1 with errno set.
int SendFrom(Batch* batch, size_t first, int flags) {
  unsigned count = std::min(batch->headers.size() - first, kMaxMessagesPerCall);
  int sent;
  do {
    sent = sendmmsg(batch->fd, &batch->headers[first], count, flags | MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  return sent;
}

// sendBatch(fd, data, offsets, first, end): sends datagrams first .. end-1 without waiting.
// Returns how many the kernel took, counting from first. Throws only when not even the first
// was taken (EAGAIN: the receiver's queue is full); a later failure shows on the next call.
Napi::Value JS_SendBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Batch batch;
  if (!ReadBatch(info, kMaxMessagesPerCall, &batch)) return env.Undefined();
  if (batch.headers.empty()) return Napi::Number::New(env, 0);

  int sent = SendFrom(&batch, 0, MSG_DONTWAIT);
  if (sent < 0) {
    ThrowErrno(env, errno, "sendmmsg");
    return env.Undefined();
  }
  return Napi::Number::New(env, sent);
}

// Runs blocking sendmmsg calls on the thread pool, as many as the batch needs, stopping at
// the first failure as sendmmsg itself does. Holds references to the buffer and offsets so
// that they outlive the calls; the caller must not change them until the promise settles.
class SendWorker : public Napi::AsyncWorker {
 public:
  SendWorker(Napi::Env env, Batch batch, Napi::Object data, Napi::Object offsets)
      : Napi::AsyncWorker(env, "datagram.sendBatchAsync"),
        deferred_(Napi::Promise::Deferred::New(env)),
        batch_(std::move(batch)),
        data_(Napi::Persistent(data)),
        offsets_(Napi::Persistent(offsets)) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override {
    size_t total = 0;
    while (total < batch_.headers.size()) {
      int sent = SendFrom(&batch_, total, 0);
      if (sent < 0) {
        error_ = errno;
        break;
      }
      total += static_cast<size_t>(sent);
    }
    sent_ = total > 0 ? static_cast<int>(total) : -1;
  }

  void OnOK() override {
    Napi::Env env = Env();
    if (sent_ < 0) {
      deferred_.Reject(ErrnoError(env, error_, "sendmmsg").Value());
    } else {
      deferred_.Resolve(Napi::Number::New(env, sent_));
    }
  }

 private:
  Napi::Promise::Deferred deferred_;
  Batch batch_;
  Napi::ObjectReference data_;
  Napi::ObjectReference offsets_;
  int sent_ = 0;
  int error_ = 0;
};

// sendBatchAsync(fd, data, offsets, first, end): like sendBatch, but waiting on the thread
// pool while the receiver's queue is full, up to the send timeout per datagram, and without
// the 1024 cap (it makes as many sendmmsg calls as needed). Resolves to how many datagrams
// were taken; rejects with the errno error when none was (EAGAIN: the timeout passed).
Napi::Value JS_SendBatchAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Batch batch;
  if (!ReadBatch(info, SIZE_MAX, &batch)) return env.Undefined();
  if (batch.headers.empty()) {
    Napi::Promise::Deferred none = Napi::Promise::Deferred::New(env);
    none.Resolve(Napi::Number::New(env, 0));
    return none.Promise();
  }

  auto* worker = new SendWorker(env, std::move(batch), info[1].As<Napi::Object>(),
                                info[2].As<Napi::Object>());
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

// setSendTimeout(fd, timeoutMs): SO_SNDTIMEO, the longest a blocking send waits for room.
Napi::Value JS_SetSendTimeout(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!IsFd(info[0]) || !info[1].IsNumber()) {
    ThrowTypeError(env, "setSendTimeout(fd, timeoutMs)");
    return env.Undefined();
  }

  int64_t timeoutMs = info[1].As<Napi::Number>().Int64Value();
  timeval timeout = {static_cast<time_t>(timeoutMs / 1000),
                     static_cast<suseconds_t>((timeoutMs % 1000) * 1000)};
  int fd = info[0].As<Napi::Number>().Int32Value();
  if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout)) != 0) {
    ThrowErrno(env, errno, "setsockopt");
  }
  return env.Undefined();
}

// receiveBatch(fd, data, slotSize, lengths): reads up to lengths.length datagrams without
// waiting, datagram i into data[i*slotSize ..]. Returns how many arrived (0: none waiting).
Napi::Value JS_ReceiveBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!IsFd(info[0]) || !info[1].IsBuffer() || !info[2].IsNumber() || !info[3].IsTypedArray()) {
    ThrowTypeError(env, "receiveBatch(fd, buffer, slotSize, Uint32Array)");
    return env.Undefined();
  }

  int fd = info[0].As<Napi::Number>().Int32Value();
  Napi::Buffer<uint8_t> data = info[1].As<Napi::Buffer<uint8_t>>();
  size_t slotSize = info[2].As<Napi::Number>().Uint32Value();
  Napi::Uint32Array lengths = info[3].As<Napi::Uint32Array>();
  size_t count = std::min({lengths.ElementLength(), kMaxMessagesPerCall,
                           slotSize == 0 ? size_t{0} : data.Length() / slotSize});
  if (count == 0) return Napi::Number::New(env, 0);

  std::vector<iovec> vectors(count);
  std::vector<mmsghdr> headers(count);
  for (size_t i = 0; i < count; i++) {
    vectors[i].iov_base = data.Data() + i * slotSize;
    vectors[i].iov_len = slotSize;
    std::memset(&headers[i], 0, sizeof(mmsghdr));
    headers[i].msg_hdr.msg_iov = &vectors[i];
    headers[i].msg_hdr.msg_iovlen = 1;
  }

  int received;
  do {
    received = recvmmsg(fd, headers.data(), count, MSG_DONTWAIT, nullptr);
  } while (received < 0 && errno == EINTR);
  if (received < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Napi::Number::New(env, 0);
    ThrowErrno(env, errno, "recvmmsg");
    return env.Undefined();
  }

  for (int i = 0; i < received; i++) lengths[i] = headers[i].msg_len;
  return Napi::Number::New(env, received);
}

// waitReadable(fd, timeoutMs): blocks the calling thread until a datagram waits or the time
// is up; returns whether one waits. Meant for receivers running in their own process.
Napi::Value JS_WaitReadable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!IsFd(info[0]) || !info[1].IsNumber()) {
    ThrowTypeError(env, "waitReadable(fd, timeoutMs)");
    return env.Undefined();
  }

  pollfd entry = {info[0].As<Napi::Number>().Int32Value(), POLLIN, 0};
  int ready = poll(&entry, 1, info[1].As<Napi::Number>().Int32Value());
  if (ready < 0 && errno != EINTR) {
    ThrowErrno(env, errno, "poll");
    return env.Undefined();
  }
  return Napi::Boolean::New(env, ready > 0);
}

// setBufferSize(fd, "send" | "receive", bytes): SO_SNDBUF / SO_RCVBUF; returns the size the
// kernel granted (Linux doubles the request and caps it at net.core.[rw]mem_max).
Napi::Value JS_SetBufferSize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!IsFd(info[0]) || !info[1].IsString() || !info[2].IsNumber()) {
    ThrowTypeError(env, "setBufferSize(fd, 'send' | 'receive', bytes)");
    return env.Undefined();
  }

  int fd = info[0].As<Napi::Number>().Int32Value();
  int option = info[1].As<Napi::String>().Utf8Value() == "send" ? SO_SNDBUF : SO_RCVBUF;
  int bytes = info[2].As<Napi::Number>().Int32Value();
  if (setsockopt(fd, SOL_SOCKET, option, &bytes, sizeof(bytes)) != 0) {
    ThrowErrno(env, errno, "setsockopt");
    return env.Undefined();
  }

  socklen_t size = sizeof(bytes);
  if (getsockopt(fd, SOL_SOCKET, option, &bytes, &size) != 0) {
    ThrowErrno(env, errno, "getsockopt");
    return env.Undefined();
  }
  return Napi::Number::New(env, bytes);
}

// shutdown(fd, "read" | "write" | "both"). A receiver that shuts down reading makes senders
// fail with EPIPE while it still drains what it accepted: a restart without losing datagrams.
Napi::Value JS_Shutdown(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!IsFd(info[0]) || !info[1].IsString()) {
    ThrowTypeError(env, "shutdown(fd, 'read' | 'write' | 'both')");
    return env.Undefined();
  }

  std::string how = info[1].As<Napi::String>().Utf8Value();
  int mode = how == "read" ? SHUT_RD : how == "write" ? SHUT_WR : SHUT_RDWR;
  if (shutdown(info[0].As<Napi::Number>().Int32Value(), mode) != 0) {
    ThrowErrno(env, errno, "shutdown");
  }
  return env.Undefined();
}

// close(fd)
Napi::Value JS_Close(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!IsFd(info[0])) {
    ThrowTypeError(env, "close(fd) takes a number");
    return env.Undefined();
  }
  if (close(info[0].As<Napi::Number>().Int32Value()) != 0) ThrowErrno(env, errno, "close");
  return env.Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("open", Napi::Function::New(env, JS_Open, "open"));
  exports.Set("connect", Napi::Function::New(env, JS_Connect, "connect"));
  exports.Set("bind", Napi::Function::New(env, JS_Bind, "bind"));
  exports.Set("sendBatch", Napi::Function::New(env, JS_SendBatch, "sendBatch"));
  exports.Set("sendBatchAsync", Napi::Function::New(env, JS_SendBatchAsync, "sendBatchAsync"));
  exports.Set("setSendTimeout", Napi::Function::New(env, JS_SetSendTimeout, "setSendTimeout"));
  exports.Set("receiveBatch", Napi::Function::New(env, JS_ReceiveBatch, "receiveBatch"));
  exports.Set("waitReadable", Napi::Function::New(env, JS_WaitReadable, "waitReadable"));
  exports.Set("setBufferSize", Napi::Function::New(env, JS_SetBufferSize, "setBufferSize"));
  exports.Set("shutdown", Napi::Function::New(env, JS_Shutdown, "shutdown"));
  exports.Set("close", Napi::Function::New(env, JS_Close, "close"));
  return exports;
}

}  // namespace

NODE_API_MODULE(datagram, Init)
