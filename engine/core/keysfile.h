// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity.h"

#include <QList>
#include <QString>

namespace Feedscope::Engine {

// The user's own keys for the engine's two subjects, given with --keys FILE instead of the
// well-known ones (PROTOCOL.md 1.2), which anybody can read and which a reachable engine must
// not accept. The file is JSON: {"guest": "uuid:key", "whisk.system": "uuid:key"}.
namespace KeysFile {

// The guest and whisk.system identities of the file; `error` says what is wrong (unreadable,
// not JSON, a namespace missing, a malformed or well-known key) and the result is then empty.
QList<Identity> read(const QString &path, QString *error);

// Writes a new file with random keys (QRandomGenerator::system()), readable only by its owner.
// Refuses to overwrite an existing file.
bool writeNew(const QString &path, QString *error);

// Whether `identity` carries one of the well-known keys.
bool isWellKnown(const Identity &identity);

} // namespace KeysFile

} // namespace Feedscope::Engine
