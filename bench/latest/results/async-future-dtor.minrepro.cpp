#include <future>
#include <thread>

























class App {
public:



    std::future<void> background_;
};


int main() {

    App app;
     
        
            app.background_ = std::async( [] {  
        for (int i = 0; i < 40; ++i) {
            if (i % 8 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(250));  // rate limit
        }
     });
        
    
}
