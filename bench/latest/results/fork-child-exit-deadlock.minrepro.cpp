#include <sys/wait.h>

#include <condition_variable>
#include <functional>
#include <map>
#include <sstream>
#include <thread>






struct Config {

};







class Logger {
public:

    ~Logger() {
        
            std::lock_guard<std::mutex> lk(archive_mu_);  // no rotation in progress
        
    }






    void compress_segment() {
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    }



    static inline std::mutex archive_mu_;

    static inline std::mutex state_mu_;
    static inline std::condition_variable state_cv_;
    static inline unsigned long rotations_started_ = 0;

    static inline std::thread rotator_;
};

Logger g_log;



class ChildReaper {
public:
    ~ChildReaper() {
        for (const auto& child : children_) {
            int status = 0;
            if (waitpid(child.first, &status, 0)) continue;
        }
    }


    static inline std::vector<std::pair<pid_t, std::string>> children_;
};

ChildReaper g_children;









pid_t spawn_isolated() {
    pid_t pid = fork();
    return pid;
}


int main() {
       
        Logger::rotator_ = std::thread([&] {  
        std::unique_lock<std::mutex> lk(Logger::archive_mu_);
        
            
                ++Logger::rotations_started_;
            
            Logger::state_cv_.notify_all();
            g_log.compress_segment();
        
     });
    



     
        
        
        
        
        std::unique_lock<std::mutex> lk(Logger::state_mu_);
        Logger::state_cv_.wait(lk, [&] { return Logger::rotations_started_; });
    
    
        spawn_isolated();
            ChildReaper::children_.emplace_back(); 
    

}
