// SPDX-License-Identifier: GPL-3.0-or-later
#include "pendingactivations.h"

#include "activationstore.h"
#include "database.h"

#include <QJsonDocument>
#include <QSqlError>

namespace Feedscope::Engine {

QString PendingActivations::stoppedMessage()
{
    return QStringLiteral("The engine stopped before the action finished.");
}

PendingActivations::PendingActivations(Database &db)
    : m_db(db)
{}

bool PendingActivations::load()
{
    QSqlQuery &q = m_db.query(QStringLiteral("SELECT COUNT(*) FROM pending_activations"));
    if (!q.exec() || !q.next())
        return false;
    m_count = q.value(0).toLongLong();
    q.finish();
    return true;
}

qint64 PendingActivations::add(const Activation &failure)
{
    m_db.beginWrite();
    QSqlQuery &q = m_db.query(
        QStringLiteral("INSERT INTO pending_activations(activation_id, doc) VALUES(?, ?)"));
    q.addBindValue(failure.activationId);
    q.addBindValue(QJsonDocument(failure.toStoredJson()).toJson(QJsonDocument::Compact));
    if (!q.exec()) {
        qWarning("feedscope-engine: cannot record a pending activation: %s",
                 qPrintable(q.lastError().text()));
        return -1;
    }
    ++m_count;
    return q.lastInsertId().toLongLong();
}

void PendingActivations::finish(qint64 row)
{
    m_db.beginWrite();
    QSqlQuery &q = m_db.query(QStringLiteral("DELETE FROM pending_activations WHERE seq = ?"));
    q.addBindValue(row);
    if (!q.exec()) {
        qWarning("feedscope-engine: cannot clear a pending activation: %s",
                 qPrintable(q.lastError().text()));
    }
    if (m_count > 0)
        --m_count;
}

int PendingActivations::repair(ActivationStore &activations, qint64 stoppedAt)
{
    m_db.commit(); // whatever came before is not part of the repair
    QList<Activation> leftovers;
    {
        QSqlQuery &q = m_db.query(QStringLiteral("SELECT doc FROM pending_activations"));
        if (!q.exec())
            return -1;
        while (q.next()) {
            leftovers.append(Activation::fromStoredJson(
                QJsonDocument::fromJson(q.value(0).toByteArray()).object()));
        }
        q.finish();
    }
    if (leftovers.isEmpty())
        return 0;
    // One transaction: the failure records and the emptied table are on disk together, so a
    // crash during the repair repeats it whole at the next start.
    int repaired = 0;
    for (Activation &a : leftovers) {
        a.end = qMax(a.start, stoppedAt);
        repaired += activations.insert(a) ? 1 : 0;
    }
    m_db.beginWrite();
    QSqlQuery &clear = m_db.query(QStringLiteral("DELETE FROM pending_activations"));
    const bool cleared = clear.exec();
    m_db.commit();
    if (!cleared)
        return -1;
    m_count = 0;
    return repaired;
}

} // namespace Feedscope::Engine
