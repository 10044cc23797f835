// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include <functional>
#include <optional>

namespace Feedscope::Engine {

// Writes that must reach the disk in the same commit as a trigger fire.
//
// A feed provider fires through the public fire endpoint (with the owner's key, throttles and
// all) and must advance its saved position exactly when the fire is recorded: saving it after
// the 202 repeats the event if the engine dies in between, saving it before loses the event.
// So the provider registers the write under a random token sent with the fire request (header
// `x-feedscope-fire-token`); the fire route runs it in the group-commit batch that holds the
// trigger's record and acknowledges the fire, so both are committed together or not at all.
// A repeated request with a used token (a retry after a lost reply) gets the first answer
// instead of a second fire. Unknown tokens are ignored, so a client cannot use the header.
class FireCommits
{
public:
    static constexpr char headerName[] = "x-feedscope-fire-token";

    // Registers `write`; returns the token to send with the fire.
    QByteArray add(std::function<void()> write);
    // The fire is being recorded (activation id, or empty for a 204 without a record): runs the
    // token's write once. Returns the id of an earlier run when the token was used before, in
    // which case the caller answers with it and does not fire again.
    std::optional<QString> earlierFire(const QByteArray &token) const;
    void recordFire(const QByteArray &token, const QString &activationId);
    // The provider is done with the token (fired or given up).
    void release(const QByteArray &token);

private:
    struct Entry
    {
        std::function<void()> write;
        std::optional<QString> fired;
    };
    QHash<QByteArray, Entry> m_entries;
};

} // namespace Feedscope::Engine
