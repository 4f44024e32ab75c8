#include <future>

class FakeServer {};

class Session {
public:
  Session(FakeServer) : closed_(close_promise_.get_future()) {
    keepalive_ = std::thread([this] { closed_.wait(); });
  }

  ~Session() { keepalive_.join(); }

  std::promise<void> close_promise_;
  std::future<void> closed_;
  std::thread keepalive_;
};

int main() { Session session({}); }
