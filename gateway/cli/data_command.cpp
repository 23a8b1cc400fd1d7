// tact data export|erase --customer SUB [--data DIR]: a customer's data subject request, on a
// stopped server's data dir (a running server has the same as GET and DELETE
// /api/data/customers/{sub}; privacy/data_requests.hpp).
#include <chrono>
#include <iostream>

#include "commands.hpp"
#include "json_io.hpp"
#include "privacy/data_requests.hpp"
#include "store.hpp"

namespace tact::cli {
namespace {

int usage() {
  std::cerr << "usage: tact data export --customer SUB [--data DIR]   everything stored about that customer, as JSON\n"
               "       tact data erase --customer SUB [--data DIR]    delete it; an audit line (without content) is kept\n"
               "SUB is the customer's token `sub`; DIR defaults to ./tact-data (stop the server first).\n";
  return 2;
}

}  // namespace

int data_command(const Args& args) {
  if (args.empty() || (args[0] != "export" && args[0] != "erase")) return usage();
  std::string customer, dir = "./tact-data";
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (i + 1 >= args.size()) {
      std::cerr << "tact data: \"" << args[i] << "\" needs a value\n";
      return usage();
    }
    if (args[i] == "--customer") customer = args[++i];
    else if (args[i] == "--data") dir = args[++i];
    else {
      std::cerr << "tact data: unknown argument \"" << args[i] << "\"\n";
      return usage();
    }
  }
  if (customer.empty() || customer.size() > 128) {
    std::cerr << "tact data: --customer SUB is required (the customer's token sub, 1..128 bytes)\n";
    return 2;
  }
  std::string error;
  auto store = gateway::open_sqlite_store(dir, nullptr, error);
  if (!store) {
    std::cerr << "tact data: " << error << "\n";
    return 1;
  }
  const auto data = store->customer_data(customer);
  if (data.conversations.empty()) {
    std::cerr << "tact data: nothing is stored about customer \"" << customer << "\" in " << dir << "\n";
    return 1;
  }
  if (args[0] == "export") {
    std::cout << gateway::export_customer(data, customer).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::error_code result;
  gateway::ErasureRecord done;
  store->erase_customer(customer, {now, "cli", gateway::customer_hash(customer), 0, 0, 0},
                        [&](std::error_code ec, const gateway::ErasureRecord& r) {
                          result = ec;
                          done = r;
                        });
  store->flush();
  if (result) {
    std::cerr << "tact data: the data could not be erased: " << result.message() << "\n";
    return 1;
  }
  std::cout << gateway::to_json(done).dump() << "\n";
  return 0;
}

}  // namespace tact::cli
