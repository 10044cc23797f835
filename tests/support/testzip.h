// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Zip archives for binary actions (PROTOCOL.md 1.6), built by python3's zipfile so that they are
// what a user's `zip` would make.
#include <QByteArray>
#include <QList>
#include <QString>

namespace Feedscope::Testing {

struct ZipEntry
{
    QString path;
    QByteArray content;
    bool executable = false;
};

// Builds a zip (with python3's zipfile, keeping permission bits) and returns it base64-encoded;
// an empty string on failure (the error is logged).
QString zipBase64(const QList<ZipEntry> &entries);

} // namespace Feedscope::Testing
