// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace Feedscope::Engine {

class ActivityStream;
class Activator;
class ActivationStore;
class Database;
class EntityStore;
class FireCommits;
class Invoker;
class RateLimiter;
class Resolver;
struct EngineLimits;

// The parts of the engine that route handlers use; owned by Engine, shared by reference.
struct Services
{
    Database &db;
    EntityStore &entities;
    ActivationStore &activations;
    Resolver &resolver;
    Activator &activator;
    RateLimiter &limiter;
    const EngineLimits &limits;
    Invoker &invoker;
    ActivityStream &activity;
    FireCommits &fireCommits;
};

} // namespace Feedscope::Engine
