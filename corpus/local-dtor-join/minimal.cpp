#include <future>
#include <iostream>
#include <thread>

class Session {
public:
    Session() : closed_(close_promise_.get_future()), keepalive_([this] { closed_.wait(); }) {}
    ~Session() { keepalive_.join(); }  // the promise is never fulfilled: nobody called close()

private:
    std::promise<void> close_promise_;
    std::future<void> closed_;
    std::thread keepalive_;
};

int main() {
    Session session;
    std::cout << "done" << std::endl;
    return 0;
}
