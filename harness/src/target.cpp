// The server under test as the run reaches it: endpoints given with --target, or a command it spawns.
#include "mcconform/target.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace mcconform {

ExternalTarget::ExternalTarget(std::vector<Endpoint> endpoints) : endpoints_(std::move(endpoints)) {}

std::vector<Endpoint> ExternalTarget::cluster(std::size_t n) {
  return std::vector<Endpoint>(endpoints_.begin(),
                               endpoints_.begin() + static_cast<long>(std::min(n, endpoints_.size())));
}

std::string ExternalTarget::describe() const {
  std::string out = "external ";
  for (std::size_t i = 0; i < endpoints_.size(); ++i) out += (i ? "," : "") + endpoints_[i].to_string();
  return out;
}

SpawnedTarget::SpawnedTarget(std::string command) : command_(std::move(command)) {}

Endpoint SpawnedTarget::primary() {
  if (!primary_) primary_ = std::make_unique<SpawnedServer>(command_);
  return primary_->endpoint();
}

std::vector<Endpoint> SpawnedTarget::cluster(std::size_t n) {
  while (cluster_.size() < n) cluster_.push_back(std::make_unique<SpawnedServer>(command_));
  std::vector<Endpoint> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(cluster_[i]->endpoint());
  return out;
}

std::unique_ptr<SpawnedServer> SpawnedTarget::spawn_private_server(const std::string& extra_arguments) const {
  return std::make_unique<SpawnedServer>(extra_arguments.empty() ? command_ : command_ + " " + extra_arguments);
}

std::string SpawnedTarget::describe() const {
  // Once the primary runs, the command with its port filled in: what one would type to reproduce.
  return fmt::format("spawned: {}", primary_ ? primary_->resolved_command() : command_);
}

void SpawnedTarget::stop_servers() {
  primary_.reset();
  cluster_.clear();
}

std::unique_ptr<Target> make_target(const Options& options, std::string default_spawn_command) {
  if (options.external()) return std::make_unique<ExternalTarget>(options.targets);
  return std::make_unique<SpawnedTarget>(options.spawn_command.empty() ? std::move(default_spawn_command)
                                                                       : options.spawn_command);
}

}  // namespace mcconform
