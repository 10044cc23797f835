// SPDX-License-Identifier: GPL-3.0-or-later
#include "firecommits.h"

#include <QUuid>

namespace Feedscope::Engine {

QByteArray FireCommits::add(std::function<void()> write)
{
    // 122 random bits: only the engine itself knows a live token.
    const QByteArray token = QUuid::createUuid().toRfc4122().toHex();
    m_entries.insert(token, Entry{std::move(write), std::nullopt});
    return token;
}

std::optional<QString> FireCommits::earlierFire(const QByteArray &token) const
{
    const auto it = m_entries.constFind(token);
    if (it == m_entries.constEnd())
        return std::nullopt;
    return it->fired;
}

void FireCommits::recordFire(const QByteArray &token, const QString &activationId)
{
    const auto it = m_entries.find(token);
    if (it == m_entries.end() || it->fired)
        return;
    it->fired = activationId;
    if (it->write)
        it->write();
}

void FireCommits::release(const QByteArray &token)
{
    m_entries.remove(token);
}

} // namespace Feedscope::Engine
