// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/activation.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace Feedscope::Engine {

class Database;

struct ActivationQuery
{
    QString ns;
    QString name;     // simple name, or "pkg/name"; empty = all
    qint64 since = 0; // start >= since (0 = no bound)
    qint64 upto = 0;  // start <= upto (0 = no bound)
    int skip = 0;
    int limit = 30;
};

// Activation records in SQLite, newest first, with bounded retention: once more than
// `retention` records are stored the oldest are deleted in the same batch.
class ActivationStore
{
public:
    ActivationStore(Database &db, qint64 retention);

    bool insert(const Activation &activation);
    std::optional<Activation> get(const QString &ns, const QString &activationId);
    QList<Activation> list(const ActivationQuery &query);
    qint64 count(const ActivationQuery &query);

    qint64 retention() const { return m_retention; }

    // Told about every activation written (before its commit), e.g. to stream it.
    std::function<void(const Activation &)> onInserted;

private:
    void prune();
    QString whereClause(const ActivationQuery &query) const;

    Database &m_db;
    qint64 m_retention;
    qint64 m_insertsSincePrune = 0;
};

} // namespace Feedscope::Engine
