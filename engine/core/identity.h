// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace Feedscope::Engine {

// An authenticated subject and the namespace it owns (PROTOCOL.md 1.2).
struct Identity
{
    QString subject;
    QString ns;
    QString uuid;
    QString key;

    QString authKey() const { return uuid + u':' + key; }
};

} // namespace Feedscope::Engine
