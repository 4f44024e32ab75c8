#include <future>
#include <map>
#include <thread>














class Manifest {
public:




};









class IndexCache {
public:
    IndexCache(int burst)
        : window_(250) {}



    static inline int burst_;
    std::chrono::milliseconds window_;
    static inline std::map<std::string, unsigned> cached_;
};


class App {
public:
    explicit App(Manifest m)
        : cache_(0) {}



    IndexCache cache_;
    std::future<void> background_;
};


int main(int argc, char** argv) {
    Manifest {};

    App app({});
     
        
            app.background_ = std::async(std::launch::async, [&] {  
        for (int i = 0; i < 40; ++i) {
            if ((i) % 8 == 0) std::this_thread::sleep_for(app.cache_.window_);  // rate limit
        }
     });
        
    
}
