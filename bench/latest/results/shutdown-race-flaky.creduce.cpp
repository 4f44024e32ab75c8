#include <atomic>
#include <condition_variable>
#include <deque>
#include <iomanip>
#include <map>
#include <random>
#include <thread>
namespace {
  const char* const kConfig = R"(
collector.reject_rate = 0.5
shutdown.grace_ms   = 20
)";
  const char* const kTransfers = R"(
t8,carol,dave,700
)";
  std::mutex g_log_mu;
#define LEDGER_LOG(expr)                                  \
    do {                                                  \
    } while (0)
#define CHECK_OR(cond, action)                          \
    do {                                                \
        if (!(cond)) {                                  \
        }                                               \
    } while (0)
class Config {
 public:     explicit Config(const std::string& text) {         std::istringstream in(text);         for (std::string line; std::getline(in, line);) {             auto eq = line.find('=');             if (eq == std::string::npos) continue;             values_[strip(line.substr(0, eq))] = strip(line.substr(eq + 1));         }     }
     template <typename T>     T get(const std::string& key, T fallback) const {         auto it = values_.find(key);         if (it == values_.end()) return fallback;         std::istringstream in(it->second);         T v{};         return (in >> v) ? v : fallback;     }
 private:     static std::string strip(const std::string& s) {         size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");         return b == std::string::npos ? "" : s.substr(b, e - b + 1);     }
     std::map<std::string, std::string> values_;
 };
  struct AuditEvent {
     std::string transfer;
     std::string outcome;
     std::int64_t amount = 0;
 };
  class FakeCollector {
 public:     explicit FakeCollector(double reject_rate) : reject_(reject_rate), rng_(std::random_device{}
()) {}
     bool send(const std::vector<AuditEvent>& batch) {         std::lock_guard<std::mutex> lk(mu_);         if (std::bernoulli_distribution(reject_)(rng_)) return false;         stored_ += batch.size();         return true;     }
     size_t stored() const {         std::lock_guard<std::mutex> lk(mu_);         return stored_;     }
 private:     mutable std::mutex mu_;
     double reject_;
     std::mt19937 rng_;
     size_t stored_ = 0;
 };
  class AuditUploader {
 public:     AuditUploader() = default;
     AuditUploader(const AuditUploader&) = delete;
     AuditUploader& operator=(const AuditUploader&) = delete;
     ~AuditUploader() {         stopping_ = true;         cv_.notify_all();         if (worker_.joinable()) worker_.join();     }
     void start(FakeCollector* collector, size_t batch_max, int retries, std::chrono::milliseconds backoff) {         collector_ = collector;         batch_max_ = batch_max;         retries_ = retries;         backoff_ = backoff;         worker_ = std::thread([this] { run(); });     }
     void submit(std::vector<AuditEvent> events) {         {             std::lock_guard<std::mutex> lk(mu_);             for (auto& e : events) queue_.push_back(std::move(e));         }         cv_.notify_one();     }
     int batches_sent() const { return sent_.load(); }
     int batches_dropped() const { return dropped_.load(); }
 private:     std::vector<AuditEvent> take_batch() {         std::lock_guard<std::mutex> lk(mu_);         std::vector<AuditEvent> batch;         while (!queue_.empty() && batch.size() < batch_max_) {             batch.push_back(std::move(queue_.front()));             queue_.pop_front();         }         return batch;     }
     void upload(const std::vector<AuditEvent>& batch) {         for (int attempt = 0; attempt <= retries_; ++attempt) {             if (collector_->send(batch)) {                 ++sent_;                 return;             }             std::this_thread::sleep_for(backoff_ * (attempt + 1));         }         ++dropped_;     }
     void run() {         while (!stopping_) {             for (auto batch = take_batch(); !batch.empty(); batch = take_batch()) upload(batch);             std::unique_lock<std::mutex> lk(mu_);             if (queue_.empty()) cv_.wait(lk);           }     }
     FakeCollector* collector_ = nullptr;
     size_t batch_max_ = 0;
     int retries_ = 0;
     std::chrono::milliseconds backoff_{0};
     std::mutex mu_;
     std::condition_variable cv_;
     std::deque<AuditEvent> queue_;
     std::atomic<bool> stopping_{false};
     std::atomic<int> sent_{0};
     std::atomic<int> dropped_{0};
     std::thread worker_;
 };
  FakeCollector g_collector(Config(kConfig).get<double>("collector.reject_rate", 0.0));
  AuditUploader g_audit;
  struct Transfer {
     std::string id;
     std::string from;
     std::string to;
     std::int64_t cents = 0;
 };
  std::vector<Transfer> parse_transfers(const std::string& csv) {
     std::vector<Transfer> out;
     std::istringstream in(csv);
     for (std::string line;
 std::getline(in, line);
) {         if (line.empty()) continue;         std::vector<std::string> f;         std::istringstream ls(line);         for (std::string cell; std::getline(ls, cell, ',');) f.push_back(cell);         if (f.size() != 4) continue;         try {             out.push_back(Transfer{f[0], f[1], f[2], std::stoll(f[3])});         } catch (const std::exception&) {             LEDGER_LOG("bad amount in " << f[0]);         }     }
     return out;
 }
  template <typename Key, typename Value> class Accounts {
 public:     void open(const Key& k, Value v) { balances_[k] = v; }
     bool has(const Key& k) const { return balances_.count(k) != 0; }
     bool move(const Key& from, const Key& to, Value amount, Value overdraft) {         if (!has(from) || !has(to) || amount <= 0) return false;         if (balances_[from] + overdraft < amount) return false;         balances_[from] -= amount;         balances_[to] += amount;         return true;     }
     const std::map<Key, Value>& all() const { return balances_; }
 private:     std::map<Key, Value> balances_;
 };
  std::string money(std::int64_t cents, const std::string& currency) {
     std::ostringstream os;
     os << (cents < 0 ? "-" : "") << std::llabs(cents) / 100 << "." << std::setw(2) << std::setfill('0')        << std::llabs(cents) % 100 << " " << currency;
     return os.str();
 }
  }
     int main() {
      const Config cfg(kConfig);
      const auto currency = cfg.get<std::string>("ledger.currency", "EUR");
      g_audit.start(&g_collector, cfg.get<size_t>("audit.batch_max", 16), cfg.get<int>("audit.retries", 2),                   std::chrono::milliseconds(cfg.get<int>("audit.backoff_ms", 50)));
      Accounts<std::string, std::int64_t> accounts;
      for (const char* name : {
"alice", "bob", "carol", "dave", "erin"}
 ) accounts.open(name, 5000);
      const auto transfers = parse_transfers(kTransfers);
      CHECK_OR(!transfers.empty(), return 1);
      std::vector<AuditEvent> events;
      int applied = 0;
      for (const auto& t : transfers) {
         bool ok = accounts.move(t.from, t.to, t.cents, cfg.get<std::int64_t>("ledger.overdraft", 0));
         applied += ok;
         events.push_back(AuditEvent{t.id, ok ? "applied" : "rejected", t.cents}
);
         LEDGER_LOG(std::left << std::setw(4) << t.id << t.from << " -> " << t.to << " "                              << money(t.cents, currency) << (ok ? "" : "  REJECTED"));
     }
      g_audit.submit(std::move(events));
  }
