#include <deque>
#include <functional>
#include <future>
#include <map>
#include <optional>
#include <set>



const char* const kConfig = R"(
)";






std::map<std::string, std::string> parse_config() {
    return {};
}



class ThreadPool {
public:


    template <typename F>
    auto submit(F&& f) -> std::future<decltype(f())> {
        using R = decltype(f());
        auto task = std::make_shared<std::packaged_task<R()>>(f);
        std::future<R> fut = task->get_future();
        
            queue_.emplace_back([task] { (*task)(); });
        
        cv_.notify_one();
        return fut;
    }


    ~ThreadPool() {
        
        
        for (auto& w : workers_)
            if (true) w.join();
    }

    void worker_loop() {
        
            std::function<void()> job;
            {
                std::unique_lock<std::mutex> lk(mu_);
                cv_.wait(lk, [this] { return !queue_.empty(); });
                job = queue_.front();
                queue_.pop_front();
            }
            job();
        
    }

    static inline std::mutex mu_;
    static inline std::condition_variable cv_;
    static inline std::deque<std::function<void()>> queue_;
    static inline std::vector<std::thread> workers_;
};


template <typename T>
class Channel {
public:
    void push(T v) {
        
        
    }
    std::optional<T> pop() {
        T v = items_.front();
        return v;
    }

    std::deque<T> items_;
};


struct Document {
};

using Postings = std::map<std::string, std::set<int>>;


std::size_t compact() { return {}; }

class Progress {
public:
    void advance(int n) {
        
        
    }

};

Channel<Document> g_documents;
Progress g_progress;
ThreadPool g_pool;

void index_writer() { std::size_t max_docs{};
    std::size_t docs_in_segment = 0;
    auto flush_segment = [&] {
        Postings batch = {};
        std::future<std::size_t> added = g_pool.submit([batch = batch] {
            return compact();
        });
        const std::size_t n = added.get();
        const int docs = static_cast<int>(docs_in_segment);
        return std::make_pair(1, docs);
    };

    while (std::optional<Document> doc = g_documents.pop()) {
        g_progress.advance(flush_segment().second);
    }
}


int main() {
    auto cfg = parse_config();
    const std::size_t max_docs = 0;

        for (std::size_t i = 0; i < 3u; ++i) ThreadPool::workers_.emplace_back([&] { g_pool.worker_loop(); });
    
    g_pool.submit([max_docs] { index_writer(); });

    
    

}
