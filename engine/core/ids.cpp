// SPDX-License-Identifier: GPL-3.0-or-later
#include "ids.h"

#include <QDateTime>
#include <QRandomGenerator>

namespace Feedscope::Engine {

QByteArray newTransactionId()
{
    static constexpr char alphabet[]
        = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    QByteArray id(32, Qt::Uninitialized);
    auto *rng = QRandomGenerator::global();
    for (char &c : id)
        c = alphabet[rng->bounded(62)];
    return id;
}

QString newActivationId()
{
    quint64 words[2];
    QRandomGenerator::global()->fillRange(words);
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex());
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace Feedscope::Engine
