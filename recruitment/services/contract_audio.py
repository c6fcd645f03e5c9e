"""Page 1 of a contract, spoken (es, ht): asked for when a contract is issued, made by a queue
worker (espeak-ng is slow enough to keep out of a request), served from the worker's page and
the verification page.

Where espeak-ng or sox is missing, no audio is asked for and the pages simply offer none.
"""

import asyncio
import io
import wave
from pathlib import Path
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from recruitment.database import Database
from recruitment.models import Contract, ContractAudio, Job
from recruitment.rendering import ContractDocument, speech

CONTRACT_AUDIO = "contract_audio"


async def request_audio(session: AsyncSession, contract: Contract) -> UUID | None:
    """A job that speaks the contract's page 1; None for a language espeak-ng doesn't speak
    here, or a machine without it. The caller defers the job once its transaction commits."""
    if contract.language not in speech.VOICES or not speech.available():
        return None
    job = Job(
        kind=CONTRACT_AUDIO,
        grower_id=contract.grower_id,
        subject_id=contract.id,
        requested_by=contract.issued_by,
        total=1,
    )
    session.add(job)
    await session.flush()
    return job.id


def _seconds(audio: bytes) -> float:
    with wave.open(io.BytesIO(audio)) as sound:
        return float(sound.getnframes()) / float(sound.getframerate())


async def speak(database: Database, contracts_dir: Path, contract_id: UUID) -> bool:
    """Make and store the contract's audio; False when it was there already."""
    async with database.sessions() as session, session.begin():
        if await audio_of(session, contract_id) is not None:
            return False
        contract = await session.get(Contract, contract_id)
        if contract is None:
            raise LookupError(f"no contract {contract_id}")
        document = ContractDocument.model_validate(contract.document)
        text = speech.spoken_summary(document, contracts_dir)
        audio = await asyncio.to_thread(speech.synthesize, text, document.language)
        session.add(
            ContractAudio(
                contract_id=contract.id,
                media_type=speech.MEDIA_TYPE,
                audio=audio,
                seconds=_seconds(audio),
            )
        )
    return True


async def audio_of(session: AsyncSession, contract_id: UUID) -> ContractAudio | None:
    return (
        await session.exec(
            select(ContractAudio).where(col(ContractAudio.contract_id) == contract_id)
        )
    ).first()
