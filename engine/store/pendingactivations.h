// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/activation.h"

#include <QString>

namespace Feedscope::Engine {

class ActivationStore;
class Database;

// Activations that were accepted (their id handed out in a 202, a trigger's logs or a blocking
// reply) and have not finished yet, kept in SQLite so that an engine killed meanwhile still
// answers for every id it gave out.
//
// Each row holds the record the activation gets if the engine stops before it finishes: a
// "whisk internal error" with {"error": "The engine stopped before the action finished."}.
// add() writes it into the current group-commit batch, which is committed before the reply that
// names the id is sent; finish() deletes it in the batch that stores the real record. On the next
// start, repair() turns every leftover into its stored failure record, all in one transaction.
// OpenWhisk itself forgets such activations (a lost Kafka message or a dead invoker leaves a
// dangling id); the engine does not re-run them either, because an action may have had effects
// before the engine died and running it twice is not safe in general.
class PendingActivations
{
public:
    static QString stoppedMessage();

    explicit PendingActivations(Database &db);

    // Reads how many rows are left over (for count()); call once after the database is open.
    bool load();
    // `failure` is the record to store if the activation never finishes; its `end` is set at
    // repair time. Returns the row's key for finish(), or -1 when it could not be written.
    qint64 add(const Activation &failure);
    void finish(qint64 row);
    // Accepted and not finished: the rows written and not yet finished.
    qint64 count() const { return m_count; }

    // Stores every leftover row as its failure record, ending at `stoppedAt` (epoch ms; the time
    // the engine last wrote before it stopped), deletes the rows and commits. Returns how many
    // were repaired, or -1 on a database error.
    int repair(ActivationStore &activations, qint64 stoppedAt);

private:
    Database &m_db;
    qint64 m_count = 0;
};

} // namespace Feedscope::Engine
