// The server under test as the run reaches it: endpoints given with --target, or a command it spawns.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "mcconform/endpoint.hpp"
#include "mcconform/options.hpp"
#include "mcconform/spawned_server.hpp"

namespace mcconform {

// RunContext holds one Target per run and delegates to it; the two kinds differ in what they may
// start. A Target does no locking of its own: RunContext calls the members that change its servers
// under its mutex, and spawn_private_server, which changes nothing, without it.
class Target {
 public:
  virtual ~Target() = default;

  // The server the protocol suites talk to.
  virtual Endpoint primary() = 0;
  // The spawned primary (started, not yet dropped) for RunContext to check for death; else nullptr.
  virtual SpawnedServer* running_primary() = 0;
  // Forgets a primary that died: the next primary() starts a fresh one.
  virtual void drop_primary() = 0;
  // `n` servers for cluster tests (fewer when the target has fewer to give).
  virtual std::vector<Endpoint> cluster(std::size_t n) = 0;
  // A server of the caller's own, to stop and restart at will; nullptr when the target cannot start
  // one. `extra_arguments` are appended to the spawn command.
  virtual std::unique_ptr<SpawnedServer> spawn_private_server(const std::string& extra_arguments) const = 0;
  // True when the harness started the target, so destructive tests are always allowed.
  virtual bool owns() const = 0;
  // For the report: "external host:port,..." or "spawned: command".
  virtual std::string describe() const = 0;
  // The spawn command template (empty for external targets).
  virtual const std::string& spawn_command() const = 0;
  // Stops every server the target started (the primary and the cluster), at the end of a run.
  virtual void stop_servers() = 0;
};

// A server someone else runs: the --target list, of which the first is the primary and a list is a
// cluster. The harness starts nothing and owns nothing.
class ExternalTarget final : public Target {
 public:
  explicit ExternalTarget(std::vector<Endpoint> endpoints);

  Endpoint primary() override { return endpoints_.front(); }
  SpawnedServer* running_primary() override { return nullptr; }
  void drop_primary() override {}
  std::vector<Endpoint> cluster(std::size_t n) override;
  std::unique_ptr<SpawnedServer> spawn_private_server(const std::string&) const override { return nullptr; }
  bool owns() const override { return false; }
  std::string describe() const override;
  const std::string& spawn_command() const override { return kNoCommand; }
  void stop_servers() override {}

 private:
  static inline const std::string kNoCommand;
  std::vector<Endpoint> endpoints_;
};

// A server the harness starts from a command (--spawn, else the built mcrefd): the primary on first
// use, the cluster's copies when first asked for, and private servers on demand.
class SpawnedTarget final : public Target {
 public:
  explicit SpawnedTarget(std::string command);

  Endpoint primary() override;
  SpawnedServer* running_primary() override { return primary_.get(); }
  void drop_primary() override { primary_.reset(); }
  std::vector<Endpoint> cluster(std::size_t n) override;
  std::unique_ptr<SpawnedServer> spawn_private_server(const std::string& extra_arguments) const override;
  bool owns() const override { return true; }
  std::string describe() const override;
  const std::string& spawn_command() const override { return command_; }
  void stop_servers() override;

 private:
  std::string command_;
  std::unique_ptr<SpawnedServer> primary_;
  std::vector<std::unique_ptr<SpawnedServer>> cluster_;  // kept for the run
};

// The target `options` name: external when it lists endpoints, else spawned from --spawn or, when
// that is empty, from `default_spawn_command`.
std::unique_ptr<Target> make_target(const Options& options, std::string default_spawn_command);

}  // namespace mcconform
